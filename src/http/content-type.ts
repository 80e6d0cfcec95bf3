// `application/json`, optionally with parameters (`; charset=utf-8`), case-insensitive (RFC 9110 §8.3.1).

const JSON_MEDIA_TYPE = 'application/json';

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  // What the API server sends, every time: no split, trim or lower-casing for it.
  if (header === JSON_MEDIA_TYPE) return true;
  const mediaType = header.split(';', 1)[0] ?? '';
  return mediaType.trim().toLowerCase() === JSON_MEDIA_TYPE;
}
