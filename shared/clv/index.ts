export * from './bgnbd';
export * from './gammagamma';
export * from './histories';
export * from './predict';
export * from './simple';
export { digamma, hyp2f1, lgamma, logSumExp } from './special';
