/**
 * A visualizer run that overfits (its link's settings): 40 noisy circle points trained on, 360 held out, a wide relu
 * network and Adam. Its test loss rises from the first epochs while its training loss falls: test/demo/held-out.test.ts
 * runs it in Node, test/browser/visualizer.test.ts on the page.
 */
export const PAGE_OVERFITTING_QUERY = '?data=circles&noise=0.3&train=10&depth=2&width=64&act=relu&init=he-normal&opt=adam&lr=0.01';
