package org.conversationarchive.views;

import org.conversationarchive.search.Filter;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;

/**
 * From stored views to the API's.
 */
@Mapper
interface ViewMapper {

	/**
	 * The view the API shows for a stored one.
	 * @param document as stored
	 * @param migrated its filter, read in the current filter model
	 * @param isDefault whether it is the org's default
	 * @return the view
	 */
	@Mapping(target = "filter", source = "migrated")
	@Mapping(target = "builtIn", constant = "false")
	@Mapping(target = "isDefault", source = "isDefault")
	View toView(ViewDocument document, Filter migrated, boolean isDefault);

}
