import { describeChannelConformance } from '../conformance.js';
import { emailHarness } from './harness.js';

describeChannelConformance('email', () => emailHarness());
