/**
 * An absolute file path (POSIX, or Windows with a drive) of two or more segments, where it starts a word or a
 * quotation: what error messages of the file system, the engine and Node carry (`open '/srv/vad/.data/...'`).
 */
const ABSOLUTE_PATH = /(?<=^|[\s'"`(=[])(?:[A-Za-z]:)?(?:[\\/][^\\/\s'"`()[\],;:]+){2,}[\\/]?/g;

/**
 * The text with every absolute server path cut to its last segment (`…/name`): how the server's folders are laid
 * out is none of a client's business, while the file's name still tells what went wrong.
 */
export function withoutServerPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, (found) => {
    const name = found
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .at(-1);
    return `…/${name}`;
  });
}
