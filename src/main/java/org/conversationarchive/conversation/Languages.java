package org.conversationarchive.conversation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import org.conversationarchive.conversation.Conversation.Message;
import org.conversationarchive.elasticsearch.Analysis;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's language, as an ISO 639-1 code: what its {@code Language} tag says (a
 * code, a locale such as {@code es-MX}, or a name such as {@code Spanish}; the first of
 * several), or else what its words are, told by Optimaize's n-gram detector. The language
 * picks how its words are stemmed ({@link #STEMMED}) and is a facet and a filter.
 */
public final class Languages {

	/**
	 * The languages whose words are stemmed: each has a {@code messages.stems.<code>}
	 * field with that language's analyzer. Others are searched by their folded words.
	 */
	public static final List<String> STEMMED = Analysis.LANGUAGES;

	/** The tag that names the language. */
	static final String TAG = "Language";

	/**
	 * How much of the transcript the detector reads: a few sentences tell a language
	 * apart, and the detector's cost grows with the text.
	 */
	static final int SAMPLE = 500;

	/** Shorter than this, the detector's guesses are noise. */
	static final int LEAST_SAMPLE = 20;

	private static final Map<String, String> BY_NAME = new HashMap<>();

	static {
		for (String code : Locale.getISOLanguages()) {
			Locale locale = Locale.of(code);
			BY_NAME.put(locale.getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
			BY_NAME.put(locale.getDisplayLanguage(locale).toLowerCase(locale), code);
			BY_NAME.put(locale.getISO3Language(), code);
		}
	}

	private static final LanguageDetector DETECTOR = detector();

	/** Leaves out what is no language's words: links, addresses, numbers. */
	private static final TextObjectFactory TEXT = CommonTextObjectFactories.forDetectingOnLargeText();

	private Languages() {
	}

	/**
	 * The conversation's language.
	 * @param tags its tags
	 * @param messages its transcript
	 * @return the language's code, or {@code null} when neither the tag nor the words
	 * tell
	 */
	public static @Nullable String of(@Nullable Map<String, Object> tags, @Nullable List<Message> messages) {
		String tagged = tagged(tags);
		return (tagged != null) ? tagged : detect(messages);
	}

	/**
	 * The language a {@code Language} tag names.
	 * @param tags the tags
	 * @return its code, or {@code null} without a tag or when the value names no language
	 */
	static @Nullable String tagged(@Nullable Map<String, Object> tags) {
		if (tags == null) {
			return null;
		}
		Object value = tags.get(TAG);
		if (value == null) {
			for (Map.Entry<String, Object> tag : tags.entrySet()) {
				if (TAG.equalsIgnoreCase(tag.getKey())) {
					value = tag.getValue();
					break;
				}
			}
		}
		if (value instanceof List<?> values) {
			value = values.isEmpty() ? null : values.get(0);
		}
		return (value instanceof String name) ? code(name) : null;
	}

	/**
	 * The ISO 639-1 code of a language named by a code, a locale or a name.
	 * @param name what names it: {@code es}, {@code spa}, {@code es_MX}, {@code es-MX},
	 * {@code Spanish}, {@code Español}
	 * @return the code, or {@code null} when it names no language
	 */
	public static @Nullable String code(String name) {
		String value = name.strip();
		if (value.isEmpty()) {
			return null;
		}
		String byName = BY_NAME.get(value.toLowerCase(Locale.ROOT));
		if (byName != null) {
			return byName;
		}
		String language = Locale.forLanguageTag(value.replace('_', '-')).getLanguage();
		return (language.length() == 2 && BY_NAME.containsValue(language)) ? language : null;
	}

	/**
	 * The language of the transcript's words, from its first {@link #SAMPLE} characters.
	 * @param messages the transcript
	 * @return the code, or {@code null} when the detector is not sure
	 */
	static @Nullable String detect(@Nullable List<Message> messages) {
		if (messages == null) {
			return null;
		}
		StringBuilder sample = new StringBuilder(SAMPLE + 64);
		for (Message message : messages) {
			if (message.text() != null && !message.text().isBlank()) {
				sample.append(message.text(), 0, Math.min(message.text().length(), SAMPLE - sample.length()))
					.append('\n');
				if (sample.length() >= SAMPLE) {
					break;
				}
			}
		}
		if (sample.length() < LEAST_SAMPLE) {
			return null;
		}
		var detected = DETECTOR.detect(TEXT.forText(sample));
		// Two letters, as the filter takes them: the detector knows a few languages by
		// three (ast, Asturian) only.
		return (detected.isPresent() && detected.get().getLanguage().length() == 2) ? detected.get().getLanguage()
				: null;
	}

	private static LanguageDetector detector() {
		try {
			// Sure enough at 0.6: on a couple of sentences the best guess rarely scores
			// higher (Portuguese is still a little Galician and Spanish to it), and the
			// default (0.9999) would answer nothing.
			return LanguageDetectorBuilder.create(NgramExtractors.standard())
				.withProfiles(new LanguageProfileReader().readAllBuiltIn())
				.minimalConfidence(0.6)
				.build();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The language detector's profiles could not be read", ex);
		}
	}

}
