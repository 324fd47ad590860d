export { LineStopBanner, lineStopMessage } from './LineStopBanner';
export { StopTheLineButton } from './StopTheLineButton';
export { LINE_STOP_WINDOW } from './lineStopWindow';
