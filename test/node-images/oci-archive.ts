// Writes an image as an OCI archive (oci-layout + index.json + blobs, in one tar) from a root filesystem
// directory: one uncompressed layer, no registry involved. `ctr images import` reads the image's name from
// the index's io.containerd.image.name annotation. Reproducible: the same files give the same digests
// (GNU tar with sorted names, mtime 0, numeric root ownership and no atime/ctime).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';
const CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json';
const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
const CONTAINERD_NAME_ANNOTATION = 'io.containerd.image.name';
const OCI_REF_ANNOTATION = 'org.opencontainers.image.ref.name';

/** The runtime part of an OCI image config (what a Dockerfile's ENTRYPOINT, CMD, ENV, USER say). */
export interface ImageRuntimeConfig {
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Env?: readonly string[];
  readonly User?: string;
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Readonly<Record<string, object>>;
}

/** Deterministic tar of a directory's contents; owners are whatever the image says (numeric ids kept). */
export function tarDirectory(dir: string, out: string, ownership: 'root' | 'keep' = 'root'): void {
  const owner = ownership === 'root' ? ['--owner=0', '--group=0'] : [];
  execFileSync('tar', [
    '--sort=name',
    '--mtime=@0',
    ...owner,
    '--numeric-owner',
    '--format=posix',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    '-C',
    dir,
    '-cf',
    out,
    '.',
  ]);
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * Builds the image from rootfs into archive under each of `names` (full references, e.g.
 * docker.io/library/busybox:latest): one manifest, one index entry per name.
 */
export function writeOciArchive(
  names: readonly string[],
  rootfs: string,
  config: ImageRuntimeConfig,
  archive: string,
): string {
  const layout = mkdtempSync(join(archive + '.layout-'));
  try {
    const blobs = join(layout, 'blobs', 'sha256');
    mkdirSync(blobs, { recursive: true });
    const addBlob = (data: Buffer): { digest: string; size: number } => {
      const hex = sha256(data);
      writeFileSync(join(blobs, hex), data);
      return { digest: `sha256:${hex}`, size: data.length };
    };

    const layerPath = join(layout, 'layer.tar');
    tarDirectory(rootfs, layerPath, 'keep');
    const layer = addBlob(readFileSync(layerPath));
    rmSync(layerPath);

    const imageConfig = addBlob(
      Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          config,
          rootfs: { type: 'layers', diff_ids: [layer.digest] },
        }),
      ),
    );
    const manifest = addBlob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MANIFEST_MEDIA_TYPE,
          config: { mediaType: CONFIG_MEDIA_TYPE, ...imageConfig },
          layers: [{ mediaType: LAYER_MEDIA_TYPE, ...layer }],
        }),
      ),
    );
    writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    writeFileSync(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: names.map((name) => ({
          mediaType: MANIFEST_MEDIA_TYPE,
          ...manifest,
          platform: { architecture: 'amd64', os: 'linux' },
          annotations: {
            [CONTAINERD_NAME_ANNOTATION]: name,
            [OCI_REF_ANNOTATION]: name.slice(name.lastIndexOf(':') + 1),
          },
        })),
      }),
    );
    const partial = `${archive}.partial`;
    tarDirectory(layout, partial);
    renameSync(partial, archive);
    return manifest.digest;
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
}
