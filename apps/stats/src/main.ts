// The stats reducer: count, min, max, sum and the exact mean of every event.
import { defaultReducerAddress } from '@hello-es/contracts';
import { runReducerApp } from '@hello-es/reducer-runtime';
import { stats } from './stats';

runReducerApp(stats, defaultReducerAddress(stats.name));
