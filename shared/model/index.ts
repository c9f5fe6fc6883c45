export * from './distribution';
export * from './health';
export * from './limits';
export * from './progress';
export * from './protocol';
export * from './results';
export * from './simulation';
export * from './workbook';
