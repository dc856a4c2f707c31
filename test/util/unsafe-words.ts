/** Words a user might type or a file might hold that a terminal would read as commands: none may reach it raw. */

/** An escape that clears the screen, a line break, a C1 CSI (U+009B) and a bidi override (U+202E), alone and together. */
export const UNSAFE_WORDS = ['esc\x1b[2Jx', 'line\nbreak', 'csi\u009b31m', 'rtl\u202eabc', "all\x1b[31m \n\u009b2J\u202e'\\"];

/** The characters no printed message may hold raw: C0, DEL, C1, the line and paragraph separators, the bidi controls. */
export const RAW_UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
