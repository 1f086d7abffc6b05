package io.deepstream.storage.announce;

/**
 * Told when names are given up on. Called on the announcer's thread for that server (or on a
 * committing thread, for names that did not fit or came after closing): keep it short. What it throws
 * is logged; the other listeners are still told, and announcing goes on.
 */
@FunctionalInterface
public interface AnnouncementListener {

	/**
	 * Names could not be announced, for good.
	 * @param givenUp the names, the server and why
	 */
	void namesGivenUp(NamesGivenUp givenUp);

}
