// The multiplier: the product of every event in the log, exact (bigint).
import { DEFAULT_MULTIPLIER_ADDRESS } from '@hello-es/contracts';
import { runReducerApp } from '@hello-es/reducer-runtime';
import { multiplier } from './multiplier';

runReducerApp(multiplier, DEFAULT_MULTIPLIER_ADDRESS);
