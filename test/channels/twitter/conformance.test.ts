import { describeChannelConformance } from '../conformance.js';
import { twitterHarness } from './harness.js';

describeChannelConformance('twitter', () => twitterHarness());
