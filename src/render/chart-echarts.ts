/**
 * ECharts' core with only what the charts use (bars, lines, grids, titles, legends, label layout, grids that contain their axis labels, the SVG
 * renderer), imported by name so that the bundle holds only those: far less to load and compile than the
 * whole library. src/render/charts.ts imports this module lazily.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { LabelLayout, LegacyGridContainLabel } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, TitleComponent, LegendComponent, LabelLayout, LegacyGridContainLabel, SVGRenderer]);

export { init };
