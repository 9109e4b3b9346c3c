export * from './health';
export * from './processes';
export * from './scripted-event-log';
