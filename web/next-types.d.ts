// Next's ambient types, without next-env.d.ts (which `next build` writes with imports of .next/types, so that
// type checks would fail on a fresh checkout before any build).
/// <reference types="next" />
/// <reference types="next/image-types/global" />
