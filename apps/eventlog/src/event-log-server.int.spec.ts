import pino from 'pino';
import { makeTempDir, removeTempDir } from '@hello-es/test-support';
import { readEventLogConfig } from './config';
import { startEventLogServer } from './event-log-server';
import { describeEventLogContract } from './testing/event-log-contract';

const logger = pino({ level: 'silent' });

describeEventLogContract('memory', async () => {
  const server = await startEventLogServer(
    readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', EVENTLOG_STORAGE: 'memory' }),
    logger,
  );
  return { server, cleanup: () => server.shutdown() };
});

describeEventLogContract('file', async () => {
  const dataDir = await makeTempDir('eventlog-contract-');
  const server = await startEventLogServer(readEventLogConfig({ EVENTLOG_LISTEN: '127.0.0.1:0', DATA_DIR: dataDir }), logger);
  return {
    server,
    cleanup: async () => {
      await server.shutdown();
      await removeTempDir(dataDir);
    },
  };
});
