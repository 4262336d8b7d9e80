// wasm.js — loads the inlined wasm on first use.
//
// The wasm is stored gzip-compressed and base64-encoded in WASM_GZ_B64 (put there by
// `cargo xtask plugin`). Headlamp evaluates every plugin's main.js at start-up, so nothing is
// decoded until a view first mounts. Initialisation is always asynchronous: Chromium refuses
// synchronous compilation of large modules on the main thread (never initSync).

let wasmLoading = null;

/** Resolves to the wasm-bindgen exports (`mount`), decoding and instantiating once. */
function loadWasm() {
  if (wasmLoading === null) {
    wasmLoading = (async () => {
      const gz = Uint8Array.from(atob(WASM_GZ_B64), c => c.charCodeAt(0));
      const inflated = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
      const bytes = await new Response(inflated).arrayBuffer();
      await wasm_bindgen({ module_or_path: bytes });
      return wasm_bindgen;
    })();
    // A failed load (out of memory, a broken build) may be retried by the next mount.
    wasmLoading.catch(() => {
      wasmLoading = null;
    });
  }
  return wasmLoading;
}
