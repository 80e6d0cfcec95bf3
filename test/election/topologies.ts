// The operator set-ups the fleet tests run against: one operator on its in-memory store, and two
// operators behind one "Service" sharing Kubernetes Leases (a fake API server).

import { FakeKubeApi } from './fake-kube-api.ts';
import type { OperatorEndpoint } from './fleet.ts';
import { startOperator, type ElectionSettings, type Operator } from './operators.ts';

export interface Topology {
  readonly name: string;
  start(election: ElectionSettings): Promise<RunningTopology>;
}

export interface RunningTopology {
  readonly endpoints: readonly OperatorEndpoint[];
  stop(): Promise<void>;
}

export const TOPOLOGIES: readonly Topology[] = [
  {
    name: 'one operator on the in-memory store',
    async start(election) {
      const operator = await startOperator({ election });
      return { endpoints: [operator.endpoint], stop: () => operator.dispose() };
    },
  },
  {
    name: 'two operators sharing Kubernetes Leases',
    async start(election) {
      const api = await FakeKubeApi.start();
      const operators: Operator[] = [];
      for (let index = 0; index < 2; index++) operators.push(await startOperator({ api, election }));
      return {
        endpoints: operators.map((operator) => operator.endpoint),
        async stop() {
          await Promise.all(operators.map((operator) => operator.dispose()));
          await api.close();
        },
      };
    },
  },
];
