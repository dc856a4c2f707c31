/** Words a user might type or a file might hold that a terminal would read as commands: none may reach it raw. */

/** An escape that clears the screen, a line break, a C1 CSI (U+009B), a bidi override (U+202E), alone and together, and a right-to-left mark (U+200F). */
export const UNSAFE_WORDS = ['esc\x1b[2Jx', 'line\nbreak', 'csi\u009b31m', 'rtl\u202eabc', 'rlm\u200f(x)', "all\x1b[31m \n\u009b2J\u202e'\\"];

/** The characters no printed message may hold raw: C0, DEL, C1, the line and paragraph separators, the bidi controls and marks, the zero-width characters and U+FEFF. */
export const RAW_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
