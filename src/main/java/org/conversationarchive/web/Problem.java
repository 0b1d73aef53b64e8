package org.conversationarchive.web;

/**
 * What went wrong, as the API would say it: the pages show the same problem detail.
 *
 * @param status the HTTP status
 * @param title its title
 * @param detail what is wrong, naming the parameter and the value
 */
record Problem(int status, String title, String detail) {

	static Problem invalid(String detail) {
		return new Problem(400, "Invalid input", detail);
	}

	static Problem notFound(String detail) {
		return new Problem(404, "Not found", detail);
	}

}
