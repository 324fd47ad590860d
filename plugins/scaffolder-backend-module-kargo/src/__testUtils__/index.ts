/** What every Kargo action test needs, from one place. */
export * from './actionContext';
export * from './examples';
export * from './kargoActionTest';
