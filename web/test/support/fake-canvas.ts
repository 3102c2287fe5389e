// Just enough of a browser for MaskStage in Node: canvases that record what is drawn on them, pointer and wheel
// events, and animation frames that run when the test says so.

/** A 2D context that records each call by name, with what createImageData and the canvas need to work. */
export class FakeContext {
  readonly calls: { name: string; args: unknown[] }[] = [];
  imageSmoothingEnabled = true;
  globalAlpha = 1;
  lineWidth = 1;
  strokeStyle = '';
  fillStyle = '';

  constructor() {
    return new Proxy(this, {
      get(target, name, receiver) {
        if (name in target || typeof name !== 'string') return Reflect.get(target, name, receiver);
        return (...args: unknown[]) => target.calls.push({ name, args });
      },
    });
  }

  createImageData(width: number, height: number) {
    return { width, height, data: new Uint8ClampedArray(width * height * 4) };
  }

  /** How often `name` was called. */
  count(name: string): number {
    return this.calls.filter((call) => call.name === name).length;
  }
}

export class FakeCanvas extends EventTarget {
  width = 300;
  height = 150;
  readonly style = { cursor: '' };
  readonly context = new FakeContext();
  private captured = new Set<number>();

  constructor(
    public clientWidth = 0,
    public clientHeight = 0,
    private readonly box = { left: 0, top: 0 },
  ) {
    super();
  }

  getContext(): FakeContext {
    return this.context;
  }

  getBoundingClientRect() {
    return this.box;
  }

  focus(): void {}

  setPointerCapture(id: number): void {
    this.captured.add(id);
  }

  hasPointerCapture(id: number): boolean {
    return this.captured.has(id);
  }

  releasePointerCapture(id: number): void {
    this.captured.delete(id);
  }

  /** Dispatches a pointer or wheel event at client coordinates; true when the stage prevented its default. */
  fire(type: string, clientX: number, clientY: number, extra: Record<string, number> = {}): boolean {
    const event = Object.assign(new Event(type, { cancelable: true }), { clientX, clientY, button: 0, pointerId: 1 });
    Object.assign(event, extra);
    return !this.dispatchEvent(event);
  }
}

/** Installs document, window and requestAnimationFrame; `frame()` runs the callbacks waiting for a frame. */
export function installFakeDom() {
  let waiting = new Map<number, () => void>();
  let next = 1;
  const globals = globalThis as Record<string, unknown>;
  globals.document = { createElement: () => new FakeCanvas() };
  globals.window = { devicePixelRatio: 2 };
  globals.requestAnimationFrame = (callback: () => void) => {
    waiting.set(next, callback);
    return next++;
  };
  globals.cancelAnimationFrame = (id: number) => waiting.delete(id);
  return {
    /** How many frames are waiting to be drawn. */
    pending: () => waiting.size,
    frame: () => {
      const callbacks = [...waiting.values()];
      waiting = new Map();
      for (const callback of callbacks) callback();
    },
  };
}
