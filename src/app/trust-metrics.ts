import { Gauge, type Registry } from 'prom-client';
import type { SegmentCatalog } from '../domain/segments/segment-catalog.js';

/**
 * `seghub_segments_tampered` (SPEC-FLEET D11): segments whose stored file was last found not to be
 * the one uploaded. An alert metric, read from the segment records at each scrape, so every replica
 * answers the same and a file verified good again leaves the count at once.
 */
export function trustMetrics(catalog: SegmentCatalog, registry: Registry): void {
  new Gauge({
    name: 'seghub_segments_tampered',
    help: 'Segments whose stored file no longer hashes to its SHA-256 (integrity TAMPERED)',
    registers: [registry],
    async collect() {
      let tampered = 0;
      for (const { record } of await catalog.all()) {
        if (record.integrity?.status === 'TAMPERED') tampered++;
      }
      this.set(tampered);
    },
  });
}
