/**
 * The name the backend gives stop-the-line in a stage's `promotionWindow.closedBy`: it is no
 * promotion window, so it is ended from the stop-the-line banner, not like one.
 */
export const LINE_STOP_WINDOW = 'stop-the-line';
