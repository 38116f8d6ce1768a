#!/usr/bin/env bash
# Builds assets/wasm/fft.wasm (WebAssembly SIMD FFT kernel) from native/fft/*.c with clang + wasm-ld,
# and writes assets/wasm/fft.wasm.sha256: the hash of the sources (and of this script, whose flags
# shape the binary) that test/kspace/fft/wasm.test.ts recomputes, so a stale committed binary fails CI
# without CI needing clang. Usage: scripts/build-wasm.sh   (CLANG=clang-17 to pick another compiler)
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG="${CLANG:-clang-16}"
if ! command -v "$CLANG" >/dev/null; then CLANG=clang; fi
# wasm-ld is found through -fuse-ld; Debian installs it as wasm-ld-16.
LD_FLAG=()
if ! command -v wasm-ld >/dev/null && command -v wasm-ld-16 >/dev/null; then LD_FLAG=(-fuse-ld="$(command -v wasm-ld-16)"); fi
mkdir -p assets/wasm
"$CLANG" --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffreestanding -fno-builtin-memset \
  -std=c11 -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--export=__heap_base -Wl,--strip-all \
  -Wl,-z,stack-size=262144 -Wl,--initial-memory=1048576 -Wl,--max-memory=4294901760 \
  "${LD_FLAG[@]}" -o assets/wasm/fft.wasm native/fft/*.c
node --input-type=module -e '
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
// Keep in step with sourceHash() in test/kspace/fft/wasm.test.ts.
const files = [...readdirSync("native/fft").filter((f) => /\.[ch]$/.test(f)).sort().map((f) => "native/fft/" + f), "scripts/build-wasm.sh"];
const h = createHash("sha256");
for (const f of files) {
  const text = readFileSync(f, "utf8").replace(/\r\n/g, "\n");
  h.update(f + "\n" + Buffer.byteLength(text) + "\n" + text);
}
writeFileSync("assets/wasm/fft.wasm.sha256", h.digest("hex") + "  native/fft/*.[ch] scripts/build-wasm.sh\n");
'
echo "assets/wasm/fft.wasm: $(wc -c < assets/wasm/fft.wasm) bytes, sources $(cut -c1-16 assets/wasm/fft.wasm.sha256)…"
