export async function main(argv: string[]): Promise<number> {
  console.log('mri-recon', argv.join(' '));
  return 0;
}
