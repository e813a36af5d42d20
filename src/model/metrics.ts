/** One metric family of the Prometheus text format: a name, its help, its type, and its samples. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: MetricSample[];
}

export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}
