#pragma once

// Checks for what a user types into the first-run and settings dialogs, shared so both
// refuse the same things with the same words. A problem is the end of a sentence that
// starts with the field's label: "Server URL" + " " + "has no host name".

#include <QString>
#include <optional>

namespace streamsync::viewer {

// nullopt when url is an http or https URL with a host ("http://localhost:8080").
std::optional<QString> server_url_problem(const QString& url);

// nullopt when the server will take name (after trimming: 1..64 bytes of UTF-8, the
// limit of POST /api/v1/viewers).
std::optional<QString> display_name_problem(const QString& name);

}  // namespace streamsync::viewer
