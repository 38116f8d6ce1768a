/** Training curves: the workstation's line chart with integer steps/epochs on x and, for losses, log y. */
import { LineChart, type Series } from '../LineChart';

export type TrainingSeries = Series;

export function TrainingChart(props: {
  title: string;
  series: TrainingSeries[];
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  testId?: string;
  width?: number;
  height?: number;
}) {
  return <LineChart {...props} xInteger className="training-chart" />;
}
