import { join } from 'node:path';
import { runApp } from '@hello-es/process';
import { dashboardSettings, readDashboardConfig } from './config';
import { startDashboard } from './start-dashboard';

void runApp({
  name: 'dashboard',
  description: 'A live web page over the event log and the reducers: head, states, subscriptions, an append form (HTTP + Server-Sent Events).',
  settings: dashboardSettings,
  readConfig: (env) => readDashboardConfig(env),
  // The bundle is dist/apps/dashboard/main.js; the built page sits next to it.
  start: (config, logger) => startDashboard(config, logger, { publicDir: join(__dirname, 'public') }),
});
