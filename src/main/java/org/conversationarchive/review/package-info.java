/**
 * Review rules: saved filters in the model of views that flag, tag and notify as
 * conversations are written, with the very semantics of search; backtests on history
 * before a rule is switched on, and runs that apply a rule to history or take its flags
 * back.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.review;
