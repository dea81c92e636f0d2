#pragma once
// Internal to the catalog: converting Backstage catalog entities (backstage.io/v1alpha1) into
// plinth/v1 documents, for LoadManifests.
//
//   Component -> Service (type, lifecycle, owner, system, dependsOn; tier from the annotation
//                plinth.dev/tier; repositoryUrl from backstage.io/source-location)
//   Resource  -> Service (type, e.g. database)      System -> System     Domain -> Domain
//   Group     -> Team (profile.email, members, plus every User's memberOf)
//   User      -> Person (profile.displayName, profile.email)
//   API       -> not stored; a consumer of an API depends on the API's providers.
// Entities outside the default namespace are named "NAMESPACE--NAME". What has no plinth
// equivalent is reported as a note, never silently dropped.

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/yaml.h"
#include "catalog/manifest.h"

namespace plinth::catalog {

// One problem, located in a source file.
struct SourceError {
  size_t file_index = 0;  // order of the file in the load
  std::string file;
  int line = 0;
  std::string pointer;
  std::string message;
};

// One line for Plan.notes; line 0 sorts first within its file.
struct SourceNote {
  size_t file_index = 0;
  int line = 0;
  std::string text;
};

// A parsed document and where it came from.
struct LoadedDoc {
  size_t file_index = 0;
  std::string file;
  YamlDocument yaml;
};

bool IsBackstageApiVersion(std::string_view api_version);

// Collects Backstage documents, then converts them all at once (membership and API edges span
// documents and files). Borrows `errors` and `notes`, which must outlive it.
class BackstageImporter {
 public:
  BackstageImporter(std::vector<SourceError>& errors, std::vector<SourceNote>& notes)
      : errors_(errors), notes_(notes) {}
  BackstageImporter(const BackstageImporter&) = delete;
  BackstageImporter& operator=(const BackstageImporter&) = delete;

  // Takes one document whose apiVersion is a Backstage one; `order` positions the resulting
  // resource within the set.
  void Add(LoadedDoc doc, size_t order);

  // The converted, validated resources with their `order`.
  std::vector<std::pair<size_t, Manifest>> Finish();

 private:
  // Where a field of a converted document was written: a source document and a pointer in it.
  struct Spot {
    size_t doc = 0;  // index into docs_
    std::string pointer;
  };
  struct Pending {
    size_t order = 0;
    size_t doc = 0;  // index into docs_
    std::string source_kind;  // "Component"
    std::string label;        // "Component music/search-web", as notes name it
    Json out;                 // plinth document before canonicalisation
    std::map<std::string, Spot> spots;  // plinth pointer prefix -> source
    std::string summary;                // "Component x -> Service x (type service)"
    std::set<std::string> failed;       // plinth pointers already reported by the conversion
  };
  struct Membership {  // a User's memberOf entry
    std::string team;
    std::string person;
    Spot spot;
  };
  struct ApiUse {  // a Component's consumesApis entry
    size_t pending = 0;
    std::string api;
    std::string text;  // as written
    Spot spot;
  };

  // "/spec/members" + 2 -> "/spec/members/2"
  static std::string Item(const std::string& pointer, size_t i) {
    return pointer + "/" + std::to_string(i);
  }

  void Convert(size_t doc_index, size_t order);
  void Note(size_t doc, const std::string& pointer, const std::string& text);
  void Fail(size_t doc, const std::string& pointer, const std::string& message);
  void FailAt(const Spot& spot, const std::string& message);
  Spot Locate(const Pending& p, const std::string& pointer) const;
  int LineOf(const Spot& spot) const;

  std::vector<SourceError>& errors_;
  std::vector<SourceNote>& notes_;
  std::vector<LoadedDoc> docs_;
  std::vector<std::pair<size_t, size_t>> added_;  // {doc index, order}
  std::vector<Pending> pending_;
  std::vector<Membership> memberships_;
  std::map<std::string, std::vector<size_t>> providers_;  // api -> pending indexes
  std::vector<ApiUse> consumers_;
};

}  // namespace plinth::catalog
