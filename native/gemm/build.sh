#!/usr/bin/env bash
# Builds assets/wasm/gemm.wasm (WebAssembly SIMD convolution kernels for tfjs' wasm backend) from
# native/gemm/*.c with clang + wasm-ld, the same with relaxed SIMD's fused multiply-add
# (assets/wasm/gemm.relaxed.wasm, used where the runtime validates it), and writes assets/wasm/gemm.wasm.sha256: the hash of the
# sources and of this script (whose flags shape the binary), recomputed by test/backend/gemm.test.ts so
# that a stale committed binary fails CI without CI needing clang.
# Usage: native/gemm/build.sh   (CLANG=clang-17 to pick another compiler)
set -euo pipefail
cd "$(dirname "$0")/../.."
CLANG="${CLANG:-clang-16}"
if ! command -v "$CLANG" >/dev/null; then CLANG=clang; fi
LD_FLAG=()
if ! command -v wasm-ld >/dev/null && command -v wasm-ld-16 >/dev/null; then LD_FLAG=(-fuse-ld="$(command -v wasm-ld-16)"); fi
mkdir -p assets/wasm
FLAGS=(--target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffreestanding
  -std=c11 -Wall -Wextra -Werror
  -Wl,--no-entry -Wl,--export-dynamic -Wl,--export=__heap_base -Wl,--strip-all
  -Wl,-z,stack-size=65536 -Wl,--initial-memory=1048576 -Wl,--max-memory=4294901760
  "${LD_FLAG[@]}")
"$CLANG" "${FLAGS[@]}" -o assets/wasm/gemm.wasm native/gemm/*.c
"$CLANG" "${FLAGS[@]}" -mrelaxed-simd -DGEMM_RELAXED -o assets/wasm/gemm.relaxed.wasm native/gemm/*.c
node --input-type=module -e '
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
// Keep in step with sourceHash() in test/backend/gemm.test.ts.
const files = [...readdirSync("native/gemm").filter((f) => /\.([ch]|sh)$/.test(f)).sort().map((f) => "native/gemm/" + f)];
const h = createHash("sha256");
for (const f of files) {
  const text = readFileSync(f, "utf8").replace(/\r\n/g, "\n");
  h.update(f + "\n" + Buffer.byteLength(text) + "\n" + text);
}
writeFileSync("assets/wasm/gemm.wasm.sha256", h.digest("hex") + "  native/gemm/*.[ch] native/gemm/build.sh\n");
'
echo "assets/wasm/gemm.wasm: $(wc -c < assets/wasm/gemm.wasm) bytes, gemm.relaxed.wasm: $(wc -c < assets/wasm/gemm.relaxed.wasm) bytes, sources $(cut -c1-16 assets/wasm/gemm.wasm.sha256)…"
