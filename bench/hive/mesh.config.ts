// GraphQL Mesh Compose over the BPJAMSOSTEK provider's OpenAPI document, unedited.
// `run.sh` sets BPJS_URL (the simulator it started) and BPJS_API_KEY (the key without
// `pii:read`, the same one Simpul uses), then runs `mesh-compose -o supergraph.graphql`.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('BPJAMSOSTEK', {
        source: '../../adapters/bpjamsostek/openapi.yaml',
        endpoint: process.env.BPJS_URL ?? 'http://127.0.0.1:8083',
        operationHeaders: { 'X-API-Key': process.env.BPJS_API_KEY ?? 'sim-limited-demo-96000002' },
      }),
    },
  ],
});
