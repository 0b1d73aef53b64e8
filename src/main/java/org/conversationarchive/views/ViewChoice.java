package org.conversationarchive.views;

/**
 * A view as a selector lists it: enough to pick it and to say what may be done with it.
 *
 * @param id the view's id
 * @param name its name
 * @param orgScope whether the whole org sees it (built-in views do)
 * @param builtIn one of the three every org has
 * @param isDefault whether it is the org's default view
 */
public record ViewChoice(String id, String name, boolean orgScope, boolean builtIn, boolean isDefault) {

}
