/*
 * list.h - intrusive circular doubly-linked list.
 *
 * A list is a sentinel struct list_node; members embed a struct list_node
 * and are recovered with list_entry(). An unlinked node points at itself,
 * so list_unlinked() tells whether a node is on some list. No locking: the
 * owner of the list serialises access.
 */
#ifndef KEEL_CORE_LIST_H
#define KEEL_CORE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next;
	struct list_node *prev;
};

/* The struct of the given type whose member `member` is at ptr: how an
 * embedded node, kernel object header or reclaim node leads back to the
 * object around it. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* The struct of the given type whose member `member` is the node at ptr. */
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* Makes n an empty list (for a sentinel) or an unlinked node. */
static inline void list_init(struct list_node *n)
{
	n->next = n;
	n->prev = n;
}

/* Returns true if the list headed by head has no members. */
static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* Returns true if n is not on any list (or is an empty sentinel). */
static inline bool list_unlinked(const struct list_node *n)
{
	return n->next == n;
}

/* Links the unlinked node n just before pos (pos == head: at the tail).
 * With the walk to pos, this keeps a list sorted. */
static inline void list_add_before(struct list_node *pos, struct list_node *n)
{
	n->next = pos;
	n->prev = pos->prev;
	pos->prev->next = n;
	pos->prev = n;
}

/* Links the unlinked node n at the tail of the list headed by head. */
static inline void list_add_tail(struct list_node *head, struct list_node *n)
{
	list_add_before(head, n);
}

/* Unlinks n from its list and leaves it unlinked; n must be on a list. */
static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}

/* Returns the first member of the list, or NULL if it is empty. */
static inline struct list_node *list_first(const struct list_node *head)
{
	return list_empty(head) ? NULL : head->next;
}

#endif
