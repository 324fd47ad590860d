export * from './KargoApi';
export * from './KargoBackendClient';
