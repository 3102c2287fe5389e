// What the stage draws over the image in screen space, so it stays thin at any zoom: the polygon being drawn
// and the brush outline.
import type { Point, Viewport } from './viewport';

const POLYGON_COLOUR = '#ffd54a';

/** The polygon's vertices (image pixels), joined to the pointer (screen) while it is being drawn. */
export function drawPolygon(
  context: CanvasRenderingContext2D,
  viewport: Viewport,
  vertices: readonly Point[],
  pointer: Point | null,
): void {
  if (vertices.length === 0) return;
  const screen = vertices.map((vertex) => viewport.toScreen(vertex));
  context.strokeStyle = POLYGON_COLOUR;
  context.lineWidth = 1.5;
  context.beginPath();
  screen.forEach((at, index) => {
    if (index === 0) context.moveTo(at.x, at.y);
    else context.lineTo(at.x, at.y);
  });
  if (pointer) context.lineTo(pointer.x, pointer.y);
  context.stroke();
  context.fillStyle = POLYGON_COLOUR;
  for (const at of screen) context.fillRect(at.x - 3, at.y - 3, 6, 6);
}

/** The brush's circle around the pointer (screen), dark and light so it shows on any image. */
export function drawBrushOutline(context: CanvasRenderingContext2D, pointer: Point, radius: number, eraser: boolean) {
  context.beginPath();
  context.arc(pointer.x, pointer.y, Math.max(1, radius), 0, Math.PI * 2);
  context.lineWidth = 2;
  context.strokeStyle = 'rgba(0, 0, 0, 0.6)';
  context.stroke();
  context.lineWidth = 1;
  context.strokeStyle = eraser ? '#9ad0ff' : '#ffffff';
  context.stroke();
}
