#pragma once
// Escaping text for HTML and XML documents.

#include <string>
#include <string_view>

namespace plinth {

// & < > " ' replaced by entities: safe in element text and quoted attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace plinth
