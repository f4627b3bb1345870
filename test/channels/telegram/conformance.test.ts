import { describeChannelConformance } from '../conformance.js';
import { telegramHarness } from './harness.js';

describeChannelConformance('telegram', () => telegramHarness());
