// Imported first by bin.ts: its body runs before any other module of the server loads.
import { heap } from './heap';

heap.start();
