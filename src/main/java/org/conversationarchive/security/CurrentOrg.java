package org.conversationarchive.security;

/**
 * The org the current request acts for. Everything the archive stores belongs to one org,
 * and every read and write is scoped by it at the lowest level: in the document id and
 * routing, and in the query builder.
 */
@FunctionalInterface
public interface CurrentOrg {

	/**
	 * The org every archive starts with.
	 */
	String DEFAULT = "default";

	String id();

}
