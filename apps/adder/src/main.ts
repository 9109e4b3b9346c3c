// The adder: the sum of every event in the log, exact (bigint).
import { DEFAULT_ADDER_ADDRESS } from '@hello-es/contracts';
import { runReducerApp } from '@hello-es/reducer-runtime';
import { adder } from './adder';

runReducerApp(adder, DEFAULT_ADDER_ADDRESS);
