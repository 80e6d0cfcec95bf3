// One real node for the whole tier: the apt packages, the Go builds (cached by hash), kubectl, helm and
// the images are prepared first, then the node starts and stays until the end. Everything the node put on
// the machine goes when it stops (test/kube-node/supervisor); the run's directory stays in .cache/ for a post-mortem.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeDataKit } from './fake-datakit.ts';
import { Kubectl } from './kubectl.ts';
import { startNode, type NodeBinaries, type RunningNode } from './node-process.ts';
import { lastLines, ROOT, runScript, script } from './scripts.ts';

const IMAGES_DIR = join(ROOT, '.cache', 'node-images', 'archives');
/**
 * The run's directory (node.json, node.log with every part's output, manifests the tests write). It stays
 * after the run for a post-mortem and is replaced by the next run, so an interrupted run leaves nothing in
 * /tmp.
 */
const RUN_DIR = join(ROOT, '.cache', 'node-tier', 'run');
const TSX_IMPORT = ['--import', 'tsx'];

export interface Timings {
  packagesSeconds: number;
  harnessBuildSeconds: number;
  nodeBuildSeconds: number;
  imagesSeconds: number;
  nodeStartSeconds: number;
}

export class NodeEnvironment {
  private constructor(
    readonly node: RunningNode,
    readonly binaries: NodeBinaries & { readonly helm: string; readonly kubectl: string },
    readonly kubectl: Kubectl,
    readonly timings: Timings,
    /** The run's own temporary directory (manifests the tests write). */
    readonly dir: string,
    readonly datakit: FakeDataKit,
  ) {}

  static async open(): Promise<NodeEnvironment> {
    const packages = await runScript('bash', [script('kube-node-packages.sh')]);
    const harness = await runScript('bash', [script('kube-harness-build.sh')]);
    const node = await runScript('bash', [script('kube-node-build.sh')]);
    const [components, supervisor, pause] = lastLines(node, 3);
    const [kubectl] = lastLines(await runScript('bash', [script('ensure-kubectl.sh')]), 1);
    const [helm] = lastLines(await runScript('bash', [script('ensure-helm.sh')]), 1);
    const images = await runScript(process.execPath, [
      ...TSX_IMPORT,
      join(ROOT, 'test', 'node-images', 'build.ts'),
      '--out',
      IMAGES_DIR,
      '--pause',
      pause!,
    ]);
    const binaries = {
      harness: lastLines(harness, 1)[0]!,
      components: components!,
      supervisor: supervisor!,
      imagesDir: IMAGES_DIR,
      kubectl: kubectl!,
      helm: helm!,
    };
    const dir = RUN_DIR;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    try {
      const running = await startNode(binaries, dir);
      let datakit: FakeDataKit;
      try {
        datakit = await FakeDataKit.start(running.ready.nodeIP);
      } catch (error) {
        await running.stop();
        throw error;
      }
      return new NodeEnvironment(
        running,
        binaries,
        new Kubectl(binaries.kubectl, running.ready.kubeconfig),
        {
          packagesSeconds: packages.seconds,
          harnessBuildSeconds: harness.seconds,
          nodeBuildSeconds: node.seconds,
          imagesSeconds: images.seconds,
          nodeStartSeconds: running.startSeconds,
        },
        dir,
        datakit,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message} (the node's log: ${join(dir, 'node.log')})`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    try {
      await this.datakit.close();
    } finally {
      await this.node.stop();
    }
  }
}
