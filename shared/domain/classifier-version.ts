/**
 * The rules' version, in its own module so that stories can be stamped with it without pulling
 * the classifier (and chrono-node) into the Lambdas that only read stories.
 */
export const CLASSIFIER_VERSION = 'rules-3.1';
