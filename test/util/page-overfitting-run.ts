/**
 * A visualizer run that overfits (its link's settings): 40 noisy circle points trained on, 360 held out, a wide relu
 * network and Adam. Its test loss rises from the first epochs while its training loss falls: test/demo/held-out.test.ts
 * runs it in Node, test/browser/visualizer.test.ts on the page.
 */
export const PAGE_OVERFITTING_QUERY = '?data=circles&noise=0.3&train=10&depth=2&width=64&act=relu&init=he-normal&opt=adam&lr=0.01';

/**
 * A visualizer run whose test loss falls for some epochs before it rises (the same points, plain SGD at 0.3): its diagnosis offers
 * early stopping at the test loss's lowest (`epochs: 28` in Node), which the page's button reruns to. test/demo/held-out.test.ts
 * runs it in Node, test/browser/visualizer.test.ts on the page.
 */
export const PAGE_EARLY_STOP_QUERY = '?data=circles&noise=0.3&train=10&depth=2&width=64&act=relu&init=he-normal&opt=sgd&lr=0.3';
