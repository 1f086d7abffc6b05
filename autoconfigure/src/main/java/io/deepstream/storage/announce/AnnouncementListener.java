package io.deepstream.storage.announce;

/**
 * Told when names are given up on. Called on the announcer's thread for that server: keep it short.
 */
@FunctionalInterface
public interface AnnouncementListener {

	/**
	 * Names could not be announced, for good.
	 * @param givenUp the names, the server and why
	 */
	void namesGivenUp(NamesGivenUp givenUp);

}
