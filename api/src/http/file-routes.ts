import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { readCookie, SESSION_COOKIE } from '../auth/cookies';
import type { Permission, Viewer } from '../auth/viewer';
import { COLOUR_MAP_NAMES, colourTable, DEFAULT_COLOUR_MAP, isColourMapName, legendPng } from '../files/colour-maps';
import { binaryMaskPng, cached, heatmapPng, overlayPng, rangeOf, THUMBNAIL_SIZES, thumbnailPng } from '../files/render';
import { RAW_MAP_TYPES, rawMapFile, rawMapValues } from '../files/raw-maps';
import { runRangeOf, storedMapKey } from '../files/result-maps';
import { decodeScoreMap } from '../files/score-map';
import { FileStore } from '../files/store';
import { DomainError } from '../graphql/errors';
import { isUuid } from '../graphql/ids';
import { exportFile } from '../files/exports';
import { exportExpiresAt } from '../jobs/file-expiry';
import { requirePermissions } from '../graphql/permissions';
import type { Services } from '../services';
import { sendError, sendJson } from './respond';

const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  FAILED_PRECONDITION: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
};

/** Stored files never change under their URL: clients may keep them for good (but not shared caches). */
const IMMUTABLE = 'private, max-age=31536000, immutable';

function sendBytes(response: ServerResponse, bytes: Buffer, type: string, etag: string): void {
  response.writeHead(200, {
    'content-type': type,
    'content-length': bytes.length,
    'cache-control': IMMUTABLE,
    etag: `"${etag}"`,
    'x-content-type-options': 'nosniff',
  });
  response.end(bytes);
}

type Handler = (
  viewer: Viewer,
  request: IncomingMessage,
  response: ServerResponse,
  match: RegExpExecArray,
  url: URL,
) => Promise<void>;

type MapFormat = 'png' | 'tiff' | 'npy';

/** What serving a map needs of a result or a predicted image. */
interface MapSubject {
  mapKeys: unknown;
  reconstructionKey: string | null;
  /** The run's Run.mapRanges, on which PNGs are coloured. */
  mapRanges: unknown;
  image: { contentHash: string; width: number; height: number };
}

interface Route {
  method: string;
  pattern: RegExp;
  permission: Permission;
  handle: Handler;
}

/**
 * The non-GraphQL routes: image, mask and map files (with thumbnails and coloured overlays made on demand and
 * cached), and zip uploads. Each checks credentials like the GraphQL API does; unknown ids are 404s.
 */
export function createFileRoutes(services: Services) {
  const { prisma, files, config } = services;
  const notModified = (request: IncomingMessage, response: ServerResponse, etag: string): boolean => {
    if (request.headers['if-none-match'] !== `"${etag}"`) return false;
    response.writeHead(304, { etag: `"${etag}"`, 'cache-control': IMMUTABLE });
    response.end();
    return true;
  };
  const missing = (response: ServerResponse, what: string) =>
    sendError(response, 404, 'NOT_FOUND', `${what} not found`);
  /** The F1-max threshold of a map type in the run's latest succeeded evaluation; null without one. */
  const evaluatedThreshold = async (runId: string, mapType: string): Promise<number | null> => {
    const evaluation = await prisma.evaluation.findFirst({
      where: { runId, status: 'SUCCEEDED' },
      orderBy: { createdAt: 'desc' },
      select: { metrics: true },
    });
    const stored = evaluation?.metrics as { maps?: Record<string, { overall?: { f1Threshold?: number | null } }> };
    return stored?.maps?.[mapType]?.overall?.f1Threshold ?? null;
  };

  /**
   * A map file of a result or a predicted image: `map` is the reconstruction or any map type of the run (attention,
   * residual, ssim, msgms...), as raw values (TIFF, NPY) at the image's resolution or as a PNG coloured on the
   * run's range.
   */
  const sendMapFile = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    subject: MapSubject,
    map: string,
    format: MapFormat,
  ): Promise<void> => {
    if (format !== 'png') {
      // The numbers behind a map, at the image's own resolution, as evaluation reads them.
      const key = storedMapKey(subject.mapKeys, map);
      if (!key) return missing(response, `${map} map`);
      const { width, height } = subject.image;
      const etag = FileStore.hashOf(Buffer.from(`${key}-${width}x${height}.${format}`));
      if (notModified(request, response, etag)) return;
      const bytes = await cached(files, `raw-${etag}.${format}`, async () =>
        rawMapFile(decodeScoreMap(await files.read(key)), width, height, format),
      );
      return sendBytes(response, bytes, RAW_MAP_TYPES[format], etag);
    }
    if (map === 'reconstruction') {
      if (!subject.reconstructionKey) return missing(response, 'reconstruction');
      if (notModified(request, response, subject.reconstructionKey)) return;
      return sendBytes(response, await files.read(subject.reconstructionKey), 'image/png', subject.reconstructionKey);
    }
    const key = storedMapKey(subject.mapKeys, map);
    if (!key) return missing(response, `${map} map`);
    const overlay = url.searchParams.get('overlay') === '1';
    const colour = url.searchParams.get('colour') ?? DEFAULT_COLOUR_MAP;
    if (!isColourMapName(colour)) {
      return sendError(response, 400, 'BAD_USER_INPUT', `colour must be one of ${COLOUR_MAP_NAMES.join(', ')}`);
    }
    const stored = runRangeOf(subject.mapRanges, map);
    // Coloured on the run's range, so that colours compare across its images; the map's own range otherwise.
    const etag = FileStore.hashOf(
      Buffer.from(
        `${key}-${stored ? stored.join('_') : 'own'}-${colour}${overlay ? `-over-${subject.image.contentHash}` : ''}`,
      ),
    );
    if (notModified(request, response, etag)) return;
    const png = await cached(files, `map-${etag}.png`, async () => {
      const scoreMap = decodeScoreMap(await files.read(key));
      const range = stored ?? rangeOf(scoreMap.data);
      return overlay
        ? overlayPng(await files.read(subject.image.contentHash), scoreMap, range, colour)
        : heatmapPng(scoreMap, range, colour);
    });
    sendBytes(response, png, 'image/png', etag);
  };

  /** A stored image file as uploaded, or its thumbnail (`?size=`, one of THUMBNAIL_SIZES) as a PNG. */
  const sendStoredImage = async (
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    image: { contentHash: string; mimeType: string },
    as: 'image' | 'thumbnail',
  ): Promise<void> => {
    if (as === 'image') {
      if (notModified(request, response, image.contentHash)) return;
      return sendBytes(response, await files.read(image.contentHash), image.mimeType, image.contentHash);
    }
    const size = Number(url.searchParams.get('size') ?? 256);
    if (!(THUMBNAIL_SIZES as readonly number[]).includes(size)) {
      return sendError(response, 400, 'BAD_USER_INPUT', `size must be one of ${THUMBNAIL_SIZES.join(', ')}`);
    }
    const etag = `${image.contentHash}-t${size}`;
    if (notModified(request, response, etag)) return;
    const png = await cached(files, `thumb-${etag}.png`, async () =>
      thumbnailPng(await files.read(image.contentHash), size),
    );
    sendBytes(response, png, 'image/png', etag);
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: /^\/files\/images\/([^/]+)$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        const image = isUuid(match[1]!) ? await prisma.image.findUnique({ where: { id: match[1]! } }) : null;
        if (!image) return missing(response, 'image');
        await sendStoredImage(request, response, url, image, 'image');
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/images\/([^/]+)\/thumbnail$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        const image = isUuid(match[1]!) ? await prisma.image.findUnique({ where: { id: match[1]! } }) : null;
        if (!image) return missing(response, 'image');
        await sendStoredImage(request, response, url, image, 'thumbnail');
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/masks\/([^/]+)$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match) => {
        const mask = isUuid(match[1]!) ? await prisma.mask.findUnique({ where: { id: match[1]! } }) : null;
        if (!mask) return missing(response, 'mask');
        if (notModified(request, response, mask.contentHash)) return;
        sendBytes(response, await files.read(mask.contentHash), 'image/png', mask.contentHash);
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/results\/([^/]+)\/([a-z0-9-]+)\.(png|tiff|npy)$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        const [, id, map, format] = match as unknown as [string, string, string, MapFormat];
        const result = isUuid(id)
          ? await prisma.result.findUnique({
              where: { id },
              include: {
                run: { select: { mapRanges: true } },
                image: { select: { contentHash: true, width: true, height: true } },
              },
            })
          : null;
        if (!result) return missing(response, 'result');
        await sendMapFile(request, response, url, { ...result, mapRanges: result.run.mapRanges }, map, format);
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/predictions\/([^/]+)\/([a-z0-9-]+)\.(png|tiff|npy)$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        // A predicted image's maps and reconstruction, served as a result's are.
        const [, id, map, format] = match as unknown as [string, string, string, MapFormat];
        const predicted = isUuid(id)
          ? await prisma.predictionImage.findUnique({
              where: { id },
              include: { prediction: { select: { run: { select: { mapRanges: true } } } } },
            })
          : null;
        if (!predicted) return missing(response, 'predicted image');
        await sendMapFile(
          request,
          response,
          url,
          { ...predicted, image: predicted, mapRanges: predicted.prediction.run.mapRanges },
          map,
          format,
        );
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/predictions\/([^/]+)\/(image|thumbnail)$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        // The file a prediction scored (an uploaded one has no Image row), whole or as a thumbnail.
        const predicted = isUuid(match[1]!)
          ? await prisma.predictionImage.findUnique({ where: { id: match[1]! } })
          : null;
        if (!predicted) return missing(response, 'predicted image');
        await sendStoredImage(request, response, url, predicted, match[2] as 'image' | 'thumbnail');
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/runs\/([^/]+)\/checkpoint\.pt$/,
      permission: 'ADMIN',
      handle: async (_viewer, request, response, match) => {
        // A run's trained model for admins (weights and training state), streamed: it may be large.
        const id = match[1]!;
        const run = isUuid(id)
          ? await prisma.run.findUnique({ where: { id }, select: { id: true, status: true } })
          : null;
        if (!run) return missing(response, 'run');
        if (run.status !== 'SUCCEEDED') {
          return sendError(
            response,
            409,
            'FAILED_PRECONDITION',
            `run ${id} is ${run.status}: its checkpoint is served once it has SUCCEEDED`,
          );
        }
        const file = await services.predictions.checkpointOf(run);
        const info = file === null ? null : await stat(file).catch(() => null);
        if (file === null || info === null) return missing(response, `the checkpoint of run ${id}`);
        const etag = `${id}-${info.size}-${info.mtimeMs}`;
        if (notModified(request, response, etag)) return;
        response.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': info.size,
          'content-disposition': `attachment; filename="vad-run-${id.slice(0, 8)}-model.pt"`,
          'cache-control': 'private, no-cache',
          etag: `"${etag}"`,
          'x-content-type-options': 'nosniff',
        });
        if (request.method === 'HEAD') return void response.end();
        await pipeline(createReadStream(file), response);
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/results\/([^/]+)\/predicted\/([a-z0-9-]+)\.png$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match, url) => {
        const [, id, map] = match as unknown as [string, string, string];
        const given = url.searchParams.get('threshold');
        const threshold = given === null ? null : Number(given);
        if (threshold !== null && (given!.trim() === '' || !Number.isFinite(threshold))) {
          return sendError(response, 400, 'BAD_USER_INPUT', `threshold must be a number, not "${given}"`);
        }
        const result = isUuid(id)
          ? await prisma.result.findUnique({
              where: { id },
              include: { image: { select: { width: true, height: true } } },
            })
          : null;
        if (!result) return missing(response, 'result');
        const key = storedMapKey(result.mapKeys, map);
        if (!key) return missing(response, `${map} map`);
        const cut = threshold ?? (await evaluatedThreshold(result.runId, map));
        if (cut === null) {
          return sendError(
            response,
            409,
            'FAILED_PRECONDITION',
            `the run has no succeeded evaluation with an F1-max threshold for the ${map} map: give ?threshold=`,
          );
        }
        const { width, height } = result.image;
        const etag = FileStore.hashOf(Buffer.from(`${key}-${width}x${height}-at-${cut}`));
        if (notModified(request, response, etag)) return;
        const png = await cached(files, `predicted-${etag}.png`, async () => {
          const values = rawMapValues(decodeScoreMap(await files.read(key)), width, height);
          const predicted = Uint8Array.from(values, (value) => (value >= cut ? 1 : 0));
          return (await binaryMaskPng(width, height, predicted)).png;
        });
        sendBytes(response, png, 'image/png', etag);
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/exports\/([^/]+)\.zip$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match) => {
        // An export's zip (exportRun, exportMasks), streamed from disk: it may be far larger than memory.
        const id = match[1]!;
        const exported = isUuid(id) ? await prisma.export.findUnique({ where: { id } }) : null;
        if (!exported) return missing(response, 'export');
        if (exported.status !== 'SUCCEEDED') {
          return sendError(
            response,
            409,
            'FAILED_PRECONDITION',
            `export ${id} is ${exported.status}: its zip is served once it has SUCCEEDED`,
          );
        }
        // Kept VAD_EXPORT_RETENTION_HOURS, then removed (jobs/file-expiry.ts): gone, not missing, even before
        // the removal has come round.
        const expiresAt = exportExpiresAt(exported, config.retention);
        if (expiresAt && expiresAt.getTime() <= Date.now()) {
          return sendError(
            response,
            410,
            'EXPIRED',
            `export ${id} expired on ${expiresAt.toISOString()}: zips are kept ` +
              `${config.retention.exportMs / 3_600_000} hours (VAD_EXPORT_RETENTION_HOURS); export again`,
          );
        }
        const file = exportFile(files, id);
        const size = await stat(file).then(
          (info) => info.size,
          () => null,
        );
        if (size === null) return missing(response, 'the zip of export ' + id);
        if (notModified(request, response, id)) return;
        response.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': size,
          'content-disposition': `attachment; filename="vad-${exported.kind === 'RUN' ? 'run' : 'masks'}-${id.slice(0, 8)}.zip"`,
          'cache-control': IMMUTABLE,
          etag: `"${id}"`,
          'x-content-type-options': 'nosniff',
        });
        if (request.method === 'HEAD') return void response.end();
        await pipeline(createReadStream(file), response);
      },
    },
    {
      method: 'GET',
      pattern: /^\/files\/colour-maps\/([a-z]+)\.png$/,
      permission: 'READ',
      handle: async (_viewer, request, response, match) => {
        const name = match[1]!;
        if (!isColourMapName(name)) return missing(response, `colour map ${name}`);
        // Named by content: a palette changed in a later version is a new file to clients that kept the old one.
        const etag = FileStore.hashOf(Buffer.from(colourTable(name)));
        if (notModified(request, response, etag)) return;
        sendBytes(response, await legendPng(name), 'image/png', etag);
      },
    },
    {
      method: 'POST',
      pattern: /^\/uploads$/,
      // Annotators too, for predict's zips of images: what consumes an upload checks its own role (importDataset
      // and importMasks are for admins), and only the uploader (or an admin) may use one.
      permission: 'ANNOTATE',
      handle: async (viewer, request, response, _match, url) => {
        const name = (url.searchParams.get('name') ?? 'upload.zip').slice(0, 255);
        const upload = await services.uploads.receive(viewer, request, name);
        sendJson(response, 201, { id: upload.id, byteSize: upload.byteSize });
      },
    },
  ];

  /** Answers the request if a route matches it; false otherwise. */
  return async function handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      // HEAD is GET without the body (Node leaves the body out of HEAD answers): a client learns a file's size,
      // type and ETag, or whether it exists, without downloading it.
      const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
      if (!methods.includes(request.method ?? '')) {
        response.setHeader('allow', methods.join(', '));
        sendError(response, 405, 'METHOD_NOT_ALLOWED', `${url.pathname} takes ${methods.join(' or ')}`);
        return true;
      }
      try {
        const auth = await services.sessions.authenticate({
          cookieToken: readCookie(request.headers.cookie, SESSION_COOKIE),
          authorization: request.headers.authorization,
        });
        const viewer = requirePermissions(auth, [route.permission]);
        await route.handle(viewer, request, response, match, url);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (request.method === 'POST') response.setHeader('connection', 'close');
        sendError(response, STATUS[error.code] ?? 400, error.code, error.message);
      }
      return true;
    }
    return false;
  };
}
