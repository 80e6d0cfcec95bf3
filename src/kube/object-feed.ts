// A list+watch of one collection through client-node's informer (ListWatch), reduced at the door: every
// listed item and every watch event goes through `keep` before the informer stores it, so the process
// holds only the fields its views need. Features see plain objects and three events, never client-node
// types; the informer restarts with backoff after any failure (a CRD installed later, RBAC granted later,
// an API server restart) until stopped, and says whether it has synced and what went wrong last.

import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { superviseInformer } from './informer-supervisor.ts';
import { listAllPages } from './raw-list.ts';

export interface FeedObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
  };
}

export interface FeedStatus {
  /** True once one full list has been stored; stays true across watch restarts (the cache is kept). */
  readonly synced: boolean;
  /** The last failure, until the next successful list; undefined when all is well. */
  readonly problem: string | undefined;
}

export interface ObjectFeed {
  start(): void;
  stop(): Promise<void>;
  status(): FeedStatus;
}

export interface ObjectFeedOptions<T extends FeedObject> {
  /** The collection, e.g. `/api/v1/pods` or `/apis/logging.datakits.io/v1alpha1/clusterloggingconfigs`. */
  readonly path: string;
  /** The stored form of one raw object; undefined drops it (it has no name). */
  readonly keep: (raw: unknown) => T | undefined;
  readonly onUpsert: (object: T) => void;
  readonly onDelete: (object: T) => void;
  /** Told about every failure of the list or the watch (each is followed by a restart). */
  readonly onError: (error: unknown) => void;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** How a feature opens a feed without importing client-node (serve.ts binds it to the KubeConfig). */
export type OpenFeed = <T extends FeedObject>(options: ObjectFeedOptions<T>) => ObjectFeed;

type WatchCallback = (phase: string, object: unknown, watchObject?: unknown) => void;
type WatchDone = (error: unknown) => void;

export function watchObjects<T extends FeedObject>(
  config: KubeConfig,
  options: ObjectFeedOptions<T>,
): ObjectFeed {
  let synced = false;
  let listed = false;
  let problem: string | undefined;

  const watch = new Watch(config);
  // ListWatch stores what its watch hands it: reduce the objects of ADDED, MODIFIED and DELETED events
  // here. It calls watch() right after storing a fresh list, which is when the cache is complete.
  const reducingWatch = {
    watch(
      path: string,
      query: Record<string, string | number | boolean | undefined>,
      callback: WatchCallback,
      done: WatchDone,
    ) {
      if (listed) {
        listed = false;
        synced = true;
        problem = undefined;
        // The watch starts only after start(), so `supervisor` (declared below) is set by then.
        supervisor.resetBackoff();
      }
      return watch.watch(
        path,
        query,
        (phase, object, watchObject) => {
          if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') {
            callback(phase, object, watchObject);
            return;
          }
          const kept = options.keep(object);
          if (kept !== undefined) callback(phase, kept, watchObject);
        },
        done,
      );
    },
  } as unknown as Watch;

  const informer = new ListWatch<KubernetesObject>(
    options.path,
    reducingWatch,
    async () => {
      const list = await listAllPages(config, options.path, options.keep);
      listed = true;
      return list as never;
    },
    false,
  );
  informer.on('add', (object) => options.onUpsert(object as unknown as T));
  informer.on('update', (object) => options.onUpsert(object as unknown as T));
  informer.on('delete', (object) => options.onDelete(object as unknown as T));

  const supervisor = superviseInformer(informer, {
    ...options,
    onError: (error) => {
      problem = error instanceof Error ? error.message : String(error);
      options.onError(error);
    },
  });

  return {
    start: () => supervisor.start(),
    stop: () => supervisor.stop(),
    status: () => ({ synced, problem }),
  };
}
