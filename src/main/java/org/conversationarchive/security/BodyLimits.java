package org.conversationarchive.security;

import jakarta.servlet.MultipartConfigElement;

import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * How much a request may send: its body ({@link BodySizeFilter}, for every request) and,
 * for the uploads that take a multipart body, each part.
 */
@Configuration(proxyBeanMethods = false)
class BodyLimits {

	/**
	 * The body limit in front of every filter that may read a body (only the character
	 * encoding and the request's observation come first; neither reads it).
	 * @param settings the limit
	 * @return the filter's registration
	 */
	@Bean
	FilterRegistrationBean<BodySizeFilter> bodySizeFilter(SecuritySettings settings) {
		FilterRegistrationBean<BodySizeFilter> registration = new FilterRegistrationBean<>(
				new BodySizeFilter(settings.maxBodySize().toBytes()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.addUrlPatterns("/*");
		return registration;
	}

	/**
	 * The container's limits on a multipart body, which it reads through a stream of its
	 * own that no filter counts: each file at most {@code max-upload-size} (an import, an
	 * artifact, which has a smaller limit of its own), the whole body at most that and
	 * {@code max-body-size} for its other parts. Both hold while the body streams, and
	 * going over is a {@code 413} problem. Where the files are kept while the request
	 * lasts is still {@code spring.servlet.multipart}'s.
	 * @param multipart the other multipart settings
	 * @param settings the limits
	 * @return the multipart configuration of the dispatcher servlet
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(MultipartProperties multipart, SecuritySettings settings) {
		MultipartConfigElement configured = multipart.createMultipartConfig();
		long upload = settings.maxUploadSize().toBytes();
		return new MultipartConfigElement(configured.getLocation(), upload, upload + settings.maxBodySize().toBytes(),
				configured.getFileSizeThreshold());
	}

}
