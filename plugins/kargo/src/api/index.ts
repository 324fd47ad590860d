export * from './KargoApi';
export * from './KargoClient';
