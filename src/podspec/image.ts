// Container image references (SPEC §4 tag replacement) and their validation, following the grammar of
// github.com/distribution/reference (the one Docker and containerd use).

const DIGEST_SEPARATOR = '@';
const TAG_SEPARATOR = ':';
const PATH_SEPARATOR = '/';
const NAME_MAX_LENGTH = 255;

const ALPHANUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${SEPARATOR}${ALPHANUMERIC})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6_ADDRESS = '\\[[a-fA-F0-9:]+\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[a-fA-F0-9]{32,}';

const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
const TAG_ONLY = new RegExp(`^${TAG}$`);

/**
 * Replaces the tag of `image` (SPEC §4). The tag is what follows the last `:` after the last `/`, so a
 * registry port (`localhost:5000/x`) is kept; a digest is dropped because it would pin the old image.
 * An empty tag means "keep the configured image" and returns it unchanged.
 */
export function replaceImageTag(image: string, tag: string): string {
  if (tag === '') return image;
  const digestAt = image.indexOf(DIGEST_SEPARATOR);
  const withoutDigest = digestAt === -1 ? image : image.slice(0, digestAt);
  const lastSlash = withoutDigest.lastIndexOf(PATH_SEPARATOR);
  const tagAt = withoutDigest.lastIndexOf(TAG_SEPARATOR);
  const name = tagAt > lastSlash ? withoutDigest.slice(0, tagAt) : withoutDigest;
  return `${name}${TAG_SEPARATOR}${tag}`;
}

/** A docker reference `name[:tag][@digest]` with a lower-case repository path. */
export function isValidImageReference(image: string): boolean {
  const match = REFERENCE.exec(image);
  return match !== null && (match[1]?.length ?? 0) <= NAME_MAX_LENGTH;
}

export function isValidImageTag(tag: string): boolean {
  return TAG_ONLY.test(tag);
}
