// A chart for the console's reports (bar, line or pie; ECharts options), with ECharts loaded
// on first use so no other page pays for it. `label` names the chart for screen readers; give the
// same figures as a table next to it.
import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

import type * as EChartsSetup from './echarts-setup';

type EChartsModule = typeof EChartsSetup;

let loading: Promise<EChartsModule> | null = null;
const loadECharts = () => (loading ??= import('./echarts-setup'));

export function LazyChart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const [module, setModule] = useState<EChartsModule | null>(null);

  useEffect(() => {
    let live = true;
    void loadECharts().then((m) => live && setModule(m));
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!module || !element.current) return;
    const chart = module.echarts.init(element.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
  }, [module, option]);

  return <div ref={element} role="img" aria-label={label} aria-busy={module === null} style={{ width: '100%', height }} />;
}
