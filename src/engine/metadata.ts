/** The attribute / header browser's content: what the file says about itself, grouped. */
import type { ScanInfo } from '../contract/schemas';
import type { MetadataGroup, ScanSource } from '../io/scan';

export function scanMetadata(info: ScanInfo, source: ScanSource): MetadataGroup[] {
  const groups: MetadataGroup[] = [
    {
      name: 'Scan',
      entries: [
        { key: 'file', value: info.path },
        { key: 'format', value: info.format },
        { key: 'slices', value: String(info.slices) },
        { key: 'coils', value: String(info.coils) },
        { key: 'k-space (rows × cols)', value: info.kspaceShape.join(' × ') },
        { key: 'image (rows × cols)', value: info.imageShape.join(' × ') },
        { key: 'reference', value: info.targetKey ?? 'none' },
      ],
    },
  ];
  const attrs = Object.entries(info.attributes);
  if (attrs.length) groups.push({ name: 'Attributes', entries: attrs.map(([key, v]) => ({ key, value: String(v) })) });
  if (source.metadata) groups.push(...source.metadata());
  return groups;
}
